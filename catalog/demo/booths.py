"""Demo booths and showrooms of Trà Vinh, part of Vĩnh Long since July 2025.

Hộ kinh doanh Trì Cảnh and the five showrooms come from the source article (TTXVN, 2023); every other
producer is invented for the demo. Addresses keep the pre-2025 district in `address_text` and
`legacy_district`; the current commune names after the 2025 mergers are [U]: check them against the
official list of Vĩnh Long's 124 communes and wards before showing them as fact."""
from dataclasses import dataclass

PROVINCE = "vinh-long"


@dataclass(frozen=True)
class DemoBooth:
    key: str
    name: str
    entity_type: str
    district: str  # pre-2025 district, e.g. 'huyện Trà Cú'
    commune: str  # current commune or ward [U]
    address: str  # original address, as in the 2023 register
    story: str


def _b(key, name, entity_type, district, commune, place, story):
    return DemoBooth(key, name, entity_type, district, commune, f"{place}, {district}, tỉnh Trà Vinh", story)


BOOTHS = [
    _b("tri-canh", "Hộ kinh doanh Trì Cảnh", "ho_kinh_doanh", "huyện Trà Cú", "Xã Trà Cú", "ấp Chợ, xã Tập Sơn",
       "Ba thế hệ làm đồ tre ở Trà Cú. Bộ salon tre của cơ sở đạt OCOP 4 sao và đang được hỗ trợ nâng lên 5 sao."),
    _b("dua-sap-cau-ke", "Hợp tác xã Nông nghiệp Dừa sáp Cầu Kè", "hop_tac_xa", "huyện Cầu Kè", "Xã Cầu Kè",
       "ấp Ô Tre Lớn, xã Hòa Tân",
       "Hơn 60 thành viên trồng dừa sáp theo hướng VietGAP trên đất giồng cát ven sông Hậu."),
    _b("banh-tet-ut-hien", "Hộ kinh doanh Bánh tét Út Hiền", "ho_kinh_doanh", "huyện Cầu Ngang", "Xã Cầu Ngang",
       "ấp Trà Cuôn, xã Kim Hòa",
       "Bánh tét Trà Cuôn gói bằng lá chuối xiêm, nếp mới và đậu xanh của bà con trong ấp."),
    _b("keo-dua-nam-lien", "Hộ kinh doanh Kẹo dừa Năm Liên", "ho_kinh_doanh", "huyện Càng Long", "Xã Càng Long",
       "ấp Rạch Dừa, xã Đại Phước", "Kẹo dừa nấu tay trên bếp củi từ nước cốt dừa tươi, không chất bảo quản."),
    _b("mekong-xanh", "Công ty TNHH Nông sản Mekong Xanh", "cong_ty", "huyện Tiểu Cần", "Xã Tiểu Cần",
       "khóm 3, thị trấn Tiểu Cần", "Sấy chuối, mít và khoai lang bằng công nghệ sấy lạnh cho chuỗi siêu thị."),
    _b("thuy-san-long-huu", "Hợp tác xã Thủy sản Long Hữu", "hop_tac_xa", "thị xã Duyên Hải", "Xã Long Hữu",
       "ấp Phước Trị, xã Long Hữu", "Tôm, cá kèo và cá lóc nuôi trong rừng đước ven biển, chế biến tại chỗ."),
    _b("mam-ba-giau", "Doanh nghiệp tư nhân Mắm Ba Giàu", "doanh_nghiep", "thành phố Trà Vinh", "Phường Trà Vinh",
       "khóm 2, phường 7", "Mắm cá lóc, mắm tôm chua theo công thức gia truyền của người Trà Vinh."),
    _b("com-dep-ao-ba-om", "Tổ hợp tác Cốm dẹp Ao Bà Om", "to_hop_tac", "thành phố Trà Vinh", "Phường Nguyệt Hóa",
       "khóm 4, phường 8", "Các gia đình Khmer giã cốm dẹp bằng chày tay, nhộn nhịp nhất mùa lễ Ok Om Bok."),
    _b("banh-ong-sa-ray", "Hộ kinh doanh Bánh ống Thạch Thị Sa Ray", "ho_kinh_doanh", "huyện Trà Cú",
       "Xã Tập Sơn", "ấp Sóc Chuối, xã Ngãi Xuyên",
       "Bánh ống lá dứa của người Khmer, hấp trong ống tre, ăn với dừa nạo và muối mè."),
    _b("mat-hoa-dua-long-hoa", "Hợp tác xã Mật hoa dừa Long Hòa", "hop_tac_xa", "huyện Châu Thành",
       "Xã Hòa Minh", "ấp Châu Phú, xã Long Hòa",
       "Cù lao Long Hòa lấy mật từ hoa dừa mỗi sáng, cô đặc ở nhiệt độ thấp, không pha đường."),
    _b("ruou-tieu-can", "Công ty Cổ phần Rượu nếp Tiểu Cần", "cong_ty", "huyện Tiểu Cần", "Xã Tân Hòa",
       "ấp Cây Ổi, xã Tân Hòa", "Rượu nếp than và nếp cái hoa vàng chưng cất bằng men lá truyền thống."),
    _b("nuoc-dua-vinh-phat", "Công ty TNHH Thực phẩm Vĩnh Phát", "cong_ty", "huyện Càng Long", "Xã An Trường",
       "ấp 2, xã An Trường", "Nước dừa xiêm và nước cốt dừa đóng chai, tiệt trùng không chất bảo quản."),
    _b("tra-song-loc", "Hợp tác xã Trà thảo mộc Song Lộc", "hop_tac_xa", "huyện Châu Thành", "Xã Song Lộc",
       "ấp Khánh Lộc, xã Song Lộc", "Trồng và sấy rau má, lá sen, mãng cầu xiêm thành trà túi lọc."),
    _b("dau-dua-phuoc-hao", "Doanh nghiệp tư nhân Dầu dừa Phước Hảo", "doanh_nghiep", "huyện Châu Thành",
       "Xã Châu Thành", "ấp Phước Hảo, xã Phước Hảo", "Dầu dừa ép lạnh và xà bông thảo mộc từ dừa khô Trà Vinh."),
    _b("luc-binh-hiep-my", "Tổ hợp tác Đan lục bình Hiệp Mỹ", "to_hop_tac", "huyện Cầu Ngang", "Xã Hiệp Mỹ",
       "ấp Bến Đáy, xã Hiệp Mỹ Tây", "Hai mươi chị em đan giỏ, thảm và hộp lục bình sau mùa vụ."),
    _b("gao-dua-ba-tam", "Hộ kinh doanh Mỹ nghệ gáo dừa Ba Tâm", "ho_kinh_doanh", "huyện Càng Long",
       "Xã Nhị Long", "ấp Long Trị, xã Nhị Long", "Chén, muỗng, đèn ngủ làm từ gáo dừa đánh bóng bằng tay."),
    _b("con-chim", "Hợp tác xã Du lịch cộng đồng Cồn Chim", "hop_tac_xa", "huyện Châu Thành", "Xã Hòa Minh",
       "ấp Cồn Chim, xã Hòa Minh", "Du lịch sinh thái trên cồn: chèo xuồng, bắt cá, làm bánh dân gian cùng nhà dân."),
    _b("tom-kho-ba-dong", "Hộ kinh doanh Tôm khô Ba Động", "ho_kinh_doanh", "thị xã Duyên Hải",
       "Phường Trường Long Hòa", "ấp Ba Động, xã Trường Long Hòa", "Tôm đất và tôm sú phơi nắng biển Ba Động."),
    _b("thot-not-tap-son", "Hộ kinh doanh Đường thốt nốt Tập Sơn", "ho_kinh_doanh", "huyện Trà Cú", "Xã Tập Sơn",
       "ấp Trà Sất, xã Tập Sơn", "Nấu đường thốt nốt từ những hàng cây trăm tuổi quanh chùa Khmer."),
    _b("gao-cang-long", "Công ty TNHH Gạo sạch Càng Long", "cong_ty", "huyện Càng Long", "Xã Bình Phú",
       "ấp Bình Hòa, xã Bình Phú", "Liên kết 300 ha lúa thơm canh tác giảm phân, giảm thuốc."),
    _b("mat-ong-long-khanh", "Hộ kinh doanh Mật ong rừng Long Khánh", "ho_kinh_doanh", "thị xã Duyên Hải",
       "Xã Long Vĩnh", "ấp Giồng Giếng, xã Long Khánh", "Gác kèo ong trong rừng đước, rừng mắm ven biển Duyên Hải."),
    _b("cha-ca-thanh-binh", "Doanh nghiệp tư nhân Chả cá Thanh Bình", "doanh_nghiep", "huyện Tiểu Cần",
       "Xã Hùng Hòa", "ấp Te Te, xã Hùng Hòa", "Chả cá thác lác, chả cá lóc quết tay, cấp đông ngay sau khi làm."),
]

# name, commune [U], address as the article gives it, description, booths whose products are on show
SHOWROOMS = [
    ("Cửa hàng OCOP Khu du lịch Biển Ba Động", "Phường Trường Long Hòa",
     "Khu du lịch Biển Ba Động, thị xã Duyên Hải, tỉnh Trà Vinh",
     "Gian trưng bày đặc sản biển và sản phẩm OCOP ngay lối vào bãi biển Ba Động.",
     ("tom-kho-ba-dong", "thuy-san-long-huu", "mat-ong-long-khanh", "keo-dua-nam-lien", "gao-dua-ba-tam")),
    ("Cửa hàng OCOP Điểm du lịch Cồn Chim", "Xã Hòa Minh",
     "Điểm du lịch Cồn Chim, huyện Châu Thành, tỉnh Trà Vinh",
     "Trưng bày sản phẩm của cù lao Hòa Minh – Long Hòa cho khách tham quan cồn.",
     ("con-chim", "mat-hoa-dua-long-hoa", "tra-song-loc", "dau-dua-phuoc-hao")),
    ("Cửa hàng OCOP Khu di tích Ao Bà Om", "Phường Nguyệt Hóa",
     "Khu di tích Ao Bà Om, thành phố Trà Vinh, tỉnh Trà Vinh",
     "Sản phẩm của đồng bào Khmer bên khu di tích Ao Bà Om: cốm dẹp, bánh ống, đường thốt nốt.",
     ("com-dep-ao-ba-om", "banh-ong-sa-ray", "thot-not-tap-son", "tri-canh")),
    ("Cửa hàng giới thiệu sản phẩm OCOP Trà Vinh", "Phường Trà Vinh",
     "Số 6A Nguyễn Thị Minh Khai, phường 1, thành phố Trà Vinh, tỉnh Trà Vinh",
     "Cửa hàng giới thiệu sản phẩm OCOP và sản phẩm công nghiệp nông thôn tiêu biểu của tỉnh.",
     ("dua-sap-cau-ke", "banh-tet-ut-hien", "mekong-xanh", "ruou-tieu-can", "nuoc-dua-vinh-phat",
      "mam-ba-giau", "gao-cang-long", "cha-ca-thanh-binh", "luc-binh-hiep-my")),
    ("Điểm dừng chân Sáu Dư", "Xã Đại Phước",
     "Điểm dừng chân Sáu Dư, ấp Rạch Dừa, xã Đại Phước, huyện Càng Long, tỉnh Trà Vinh",
     "Trạm dừng chân trên quốc lộ 60 với quầy đặc sản dừa và sản phẩm OCOP.",
     ("keo-dua-nam-lien", "dua-sap-cau-ke", "nuoc-dua-vinh-phat", "gao-dua-ba-tam", "banh-tet-ut-hien")),
]
SHOWROOM_HOURS = "7:00–19:00"
